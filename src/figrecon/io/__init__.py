"""Input and output files: reading claim files (`files`, `formats`, `yaml`, `json`,
`csv`, `records`, `limits`; `arrow` for large JSON and NDJSON files and CSV text
columns) and writing outputs safely (`output`)."""
