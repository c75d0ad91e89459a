"""The read stage: which files are sources and whose (:mod:`.catalog`), and every source parsed into a
:class:`~generator.model.SourceDoc` whose entries remember file and line (:mod:`.reading`, which
hands each file to the parser of its format: :mod:`.formats` tells the format, :mod:`.abstract_list`,
:mod:`.rich_profile` and :mod:`.bibtex` parse).  Its stage function is
:func:`.reading.read_sources`.
"""
