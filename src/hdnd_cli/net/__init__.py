"""The only layer besides storage's database store that opens a connection: sending mail."""
