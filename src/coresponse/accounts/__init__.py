"""Who people are in CoResponse: the seven roles, as Django groups, and the checks on them."""
