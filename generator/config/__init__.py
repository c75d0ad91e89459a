"""The site's configuration: ``site.yaml`` (:mod:`.site`), read with every value's line
(:mod:`.yamlfile`: safe YAML, key checks with "did you mean"), and the profile links it may give
(:mod:`.links`).  Without a ``site.yaml`` the defaults apply and every source file is a profile.
"""
