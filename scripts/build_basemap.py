"""Build the web page's offline basemap, rashomon/web/static/countries.geo.json.

Source: the npm package world-atlas 2.0.2 (ISC licence, Mike Bostock), TopoJSON made from Natural Earth's
public-domain Admin 0 country shapes. The script fetches the package with the ordinary npm client
(`npm pack world-atlas@2.0.2`), checks its SHA-256, decodes the TopoJSON in plain Python and writes a compact
GeoJSON FeatureCollection (coordinates rounded to 0.01 degree, repeated points dropped).

    python scripts/build_basemap.py                 # fetch with npm, then build
    python scripts/build_basemap.py path/to/world-atlas-2.0.2.tgz   # or an unpacked package folder
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "world-atlas@2.0.2"
SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
OUT = Path(__file__).resolve().parents[1] / "rashomon" / "web" / "static" / "countries.geo.json"


def fetch_package() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
        (tgz,) = Path(tmp).glob("world-atlas-*.tgz")
        return tgz.read_bytes()


def read_topology(source: str | None, resolution: str) -> dict:
    name = f"countries-{resolution}.json"
    if source and Path(source).is_dir():
        return json.loads((Path(source) / name).read_text("utf-8"))
    data = Path(source).read_bytes() if source else fetch_package()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{PACKAGE}: SHA-256 {digest} is not the expected {SHA256}")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return json.load(tar.extractfile(f"package/{name}"))


def decode_arcs(topology: dict, digits: int) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, digits), round(y * sy + ty, digits)))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        for k, p in enumerate(arc):
            if k == 0 and points:
                continue  # arcs share their end points
            if not points or p != points[-1]:
                points.append(p)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return [list(p) for p in points]


def to_geojson(topology: dict, digits: int) -> dict:
    arcs = decode_arcs(topology, digits)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        coords = []
        for polygon in polygons:
            rings = [r for r in (ring(rr, arcs) for rr in polygon) if len(r) >= 4]
            if rings:
                coords.append(rings)
        if not coords:
            continue
        features.append({"type": "Feature", "id": geom.get("id"),
                         "properties": {"name": geom.get("properties", {}).get("name")},
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    return {"type": "FeatureCollection",
            "source": f"Natural Earth Admin 0 countries via npm {PACKAGE} (ISC)", "features": features}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?",
                        help="world-atlas .tgz or unpacked package folder (default: npm pack)")
    parser.add_argument("--resolution", choices=["110m", "50m", "10m"], default="50m")
    parser.add_argument("--digits", type=int, default=2, help="decimal places kept in coordinates")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    geojson = to_geojson(read_topology(args.source, args.resolution), args.digits)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(geojson, separators=(",", ":")), "utf-8")
    print(f"{len(geojson['features'])} countries, {args.out.stat().st_size:,} bytes -> {args.out}")


if __name__ == "__main__":
    main()
