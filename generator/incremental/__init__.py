"""The incremental layer: everything that only makes a repeated build faster.

Its one entry point is :class:`IncrementalStages` (:mod:`.stages`), the pipeline's stages reusing
what earlier builds made: the disk cache (:mod:`.disk_cache`, in a private folder whose files are
sealed, :mod:`.cache_folder`; compiled templates, :mod:`.template_cache`) for every build, and, in
the dev server, what a long-running process keeps in memory (:mod:`.dedupe_memo` with
:mod:`.blocking_index`, :mod:`.merge`, :mod:`.kept_values`, :mod:`.pages`, :mod:`.data_files`).  It
reaches each stage only through that stage's own interface (``read_sources``' ``remembered`` and
``store``, ``merge.Papers``, ``render.SiteWriter``, ``output.Staging``'s spare), and no stage
imports anything from here.  A build with the plain :class:`~generator.pipeline.Stages` gives the
same site.
"""
