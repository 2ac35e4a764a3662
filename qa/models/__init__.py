"""The fitted models as read at query time: their features and their JSON form (numpy only)."""
