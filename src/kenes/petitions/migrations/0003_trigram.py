"""pg_trgm on PostgreSQL, for the likely-duplicate search shown to authors and moderators
(``selectors.similar_petitions``). On SQLite this does nothing: the selector computes the same
trigram similarity in Python there."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramExtensionOnPostgres(TrigramExtension):
    """``CREATE EXTENSION pg_trgm`` on PostgreSQL, nothing elsewhere (both ways)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_defaults")]

    operations = [TrigramExtensionOnPostgres()]
