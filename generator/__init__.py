"""Static research-profile site generator.

Turns scraped researcher profile text (the *sources* in ``seeds/``) into one
deduplicated paper list and a profile page per person.  The pipeline lives in
:mod:`generator.pipeline`; ``python -m generator`` is the command line.
"""

__version__ = "0.1.0"
