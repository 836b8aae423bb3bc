"""The Microsoft Teams adapter (Bot Framework). Every botbuilder import stays in this package,
so a move to the SDK's successor touches one folder. Wire it with
:func:`bot.adapters.teams.app.build_teams`; package it with :mod:`bot.adapters.teams.package`."""
