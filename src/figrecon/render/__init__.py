"""Outputs for people and for scripts: the figures (`table`, `words`, `json`, `csv`,
`markdown`), the diff (`diff`), the check report (`findings`); `formats` names each
command's formats and how each is rendered."""
