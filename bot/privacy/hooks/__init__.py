"""User-data hooks for the tables that ship with Kindred; each feature registers those for its rows
(``Registry.user_data_hooks`` in its ``register``; see ``bot.privacy.user_data``)."""
