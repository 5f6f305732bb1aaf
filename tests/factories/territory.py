"""Territory test helpers: the reference territory and square QPV perimeters built on the fly (no shipped
geography). Other apps' tests use ``load_square_qpv`` to get an address that is certainly in a QPV."""

from __future__ import annotations

import shapely

from citemploi.territory.geometry import ZONES, project_geometry, project_points
from citemploi.territory.models import QPV
from citemploi.territory.services import qpv_perimeter_set, territory_load

METROPOLE = ZONES[0]


def square_around(lon: float, lat: float, size_m: float) -> shapely.Polygon:
    """A square of side ``size_m`` metres (Lambert-93) centred on (lon, lat), returned in WGS84."""
    import numpy as np

    x, y = project_points(np.array([lon]), np.array([lat]), METROPOLE)
    half = size_m / 2
    square = shapely.box(x[0] - half, y[0] - half, x[0] + half, y[0] + half)
    return project_geometry(square, METROPOLE, inverse=True)


def ensure_territory() -> None:
    """Load the reference territory (communes, QPV list) unless it is already there."""
    if not QPV.objects.exists():
        territory_load()


def load_square_qpv(
    code: str = "QN04299M", insee: str = "42218", lon: float = 4.39, lat: float = 45.44, size_m: float = 400
) -> QPV:
    """Store a square perimeter of ``size_m`` metres centred on (lon, lat) for QPV ``code``.

    The QPV is created (linked to commune ``insee``) when the reference list does not hold it — the default code
    QN04299M is fictitious, so it never collides with a real QPV of Saint-Étienne (42218)."""
    from citemploi.territory.models import Commune

    ensure_territory()
    qpv, created = QPV.objects.get_or_create(
        code=code, defaults={"name": f"Quartier de test {code}", "in_territory": True}
    )
    if created:
        qpv.communes.add(Commune.objects.get(insee_code=insee))
    return qpv_perimeter_set(code=code, geometry=square_around(lon, lat, size_m))
