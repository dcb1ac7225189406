"""What the CLI and the web app both call: one function per user-facing action."""
