"""Reading input files so that every value knows where it came from (file, line, column).

May import ``guildhall.core`` only.
"""
