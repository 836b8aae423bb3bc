"""The built-in content packs: YAML files shipped as package data, one per focus area."""
