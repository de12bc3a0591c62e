"""project: a self-hostable bookmark and web-archive service, usable as a library."""
