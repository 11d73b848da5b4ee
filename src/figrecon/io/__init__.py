"""Input and output files: reading claim files (`files`, `formats`, `yaml`, `json`,
`csv`, `records`, `limits`) and writing outputs safely (`output`)."""
