"""User-data hooks for the tables that ship with the core (see ``bot.privacy.user_data``)."""
