"""Historical CAD data: city export profiles, the streaming import, and the normalised store."""
