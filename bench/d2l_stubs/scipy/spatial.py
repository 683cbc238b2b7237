"""Stand-in for scipy.spatial."""
from _stub import Unavailable

distance_matrix = Unavailable("scipy.spatial.distance_matrix")
