"""The MkDocs adapter: turns MkDocs events into calls on the engine (`tutor`).

Everything the site shows about a tutorial is decided in `tutor.site`; the modules here
only place it into MkDocs: options, generated files, navigation, logging, assets.
"""
