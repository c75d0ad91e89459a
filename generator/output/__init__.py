"""The write stage: the site's files into a staging folder beside the output folder, then swapped in
atomically (:mod:`.staging`), one build at a time (:mod:`.lock`), and only over a folder this tool
wrote (:mod:`.checks`, the marker in :mod:`.files`).  Its stage function is
:func:`.staging.write_site`.
"""
