"""Text shared by the stages: clean-up and comparison keys (:mod:`.normalize`), LaTeX to Unicode
(:mod:`.latex`, its tables in :mod:`.latex_symbols`), identifiers in canonical form (arXiv ids,
DOIs, categories: :mod:`.identifiers`, :mod:`.categories`) and month names (:mod:`.dates`).
"""
