"""Loading: YAML files with source marks -> typed documents -> the validated framework index."""
