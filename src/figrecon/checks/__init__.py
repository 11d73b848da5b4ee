"""`figrecon check`: the catalogue of codes (`codes`), the findings that compare claims
(`rules`, `typos`, over a `view` of the claims) and the report (`report`). Nothing is
imported here, so that the command line can list the codes without loading pandas."""
