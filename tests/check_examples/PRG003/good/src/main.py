def delivery_cost(distance_km, rate_per_km):
    """Cost of one delivery: its distance times the rate per kilometre."""
    base_cost = distance_km * rate_per_km
    # night deliveries are not priced differently yet
    return round(base_cost, 2)


def total_cost(distances, rate_per_km):
    """Sum of the costs of several deliveries."""
    return sum(delivery_cost(distance, rate_per_km) for distance in distances)


print(total_cost([1.5, 2.0], 0.8))
