"""Permissions for territories: reading is public; loading and editing are for superusers.

Model permissions granted through Django's ModelBackend (``territories.change_territory``) also
count, so staff can be given editing rights without being superusers.
"""

import rules

rules.add_perm("territories.load_territories", rules.is_superuser)
rules.add_perm("territories.change_territory", rules.is_superuser)
