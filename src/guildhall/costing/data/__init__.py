"""The analytical tables: their schema, a calibrated generator and a validating importer."""
