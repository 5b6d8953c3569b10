"""Reference values from openslide-python (Debian python3-openslide) for the tiler's tests.

Run with /usr/bin/python3. Prints one JSON document on stdout:
  version                             openslide-python and OpenSlide library versions
  slide PATH                          vendor, levels, properties, associated images
  geometry PATH [--bounds X,Y,W,H] [--limit-bounds] [--tile-size N --overlap N]
                                      DeepZoomGenerator level/tile geometry for every tile, and get_dzi
  tiles PATH [--tile-size N --overlap N] LEVEL,COL,ROW ...
                                      get_tile() pixels (RGB, base64) for each address, raw and after
                                      a quality-75 JPEG round trip (what deepzoom_server serves);
                                      DeepZoomGenerator's defaults (254, 1) unless told
"""

import base64
from io import BytesIO
import json
import sys

from PIL import Image

import openslide
from openslide.deepzoom import DeepZoomGenerator


class BoundedSlide:
    """A real OpenSlide whose properties also carry openslide.bounds-*, to exercise limit_bounds."""

    def __init__(self, osr, bounds):
        self._osr = osr
        x, y, w, h = bounds
        self.properties = dict(osr.properties)
        self.properties.update(
            {
                openslide.PROPERTY_NAME_BOUNDS_X: str(x),
                openslide.PROPERTY_NAME_BOUNDS_Y: str(y),
                openslide.PROPERTY_NAME_BOUNDS_WIDTH: str(w),
                openslide.PROPERTY_NAME_BOUNDS_HEIGHT: str(h),
            }
        )

    def __getattr__(self, name):
        return getattr(self._osr, name)


def slide_info(path):
    osr = openslide.OpenSlide(path)
    return {
        'vendor': openslide.OpenSlide.detect_format(path),
        'level_count': osr.level_count,
        'level_dimensions': osr.level_dimensions,
        'level_downsamples': osr.level_downsamples,
        'properties': dict(osr.properties),
        'associated': {name: img.size for name, img in osr.associated_images.items()},
    }


def geometry(path, args):
    osr = openslide.OpenSlide(path)
    limit_bounds = '--limit-bounds' in args
    if '--bounds' in args:
        bounds = [int(v) for v in args[args.index('--bounds') + 1].split(',')]
        osr = BoundedSlide(osr, bounds)
    tile_size = int(args[args.index('--tile-size') + 1]) if '--tile-size' in args else 254
    overlap = int(args[args.index('--overlap') + 1]) if '--overlap' in args else 1
    dz = DeepZoomGenerator(osr, tile_size=tile_size, overlap=overlap, limit_bounds=limit_bounds)
    tiles = []
    for level in range(dz.level_count):
        cols, rows = dz.level_tiles[level]
        for col in range(cols):
            for row in range(rows):
                (loc, slide_level, size) = dz.get_tile_coordinates(level, (col, row))
                z_size = dz.get_tile_dimensions(level, (col, row))
                tiles.append([level, col, row, loc[0], loc[1], slide_level, size[0], size[1], z_size[0], z_size[1]])
    return {
        'level_count': dz.level_count,
        'level_dimensions': dz.level_dimensions,
        'level_tiles': dz.level_tiles,
        'tile_count': dz.tile_count,
        'dzi_jpeg': dz.get_dzi('jpeg'),
        'dzi_png': dz.get_dzi('png'),
        'tiles': tiles,
    }


def tiles(path, args):
    options = {}
    for name, key in (('--tile-size', 'tile_size'), ('--overlap', 'overlap')):
        if name in args:
            at = args.index(name)
            options[key] = int(args[at + 1])
            args = args[:at] + args[at + 2 :]
    addresses = args
    dz = DeepZoomGenerator(openslide.OpenSlide(path), **options)
    out = []
    for address in addresses:
        level, col, row = (int(v) for v in address.split(','))
        tile = dz.get_tile(level, (col, row)).convert('RGB')
        # What deepzoom_server serves: the same tile saved as JPEG at its default quality 75.
        buf = BytesIO()
        tile.save(buf, 'jpeg', quality=75)
        served = Image.open(BytesIO(buf.getvalue())).convert('RGB')
        out.append(
            {
                'level': level,
                'col': col,
                'row': row,
                'width': tile.size[0],
                'height': tile.size[1],
                'rgb': base64.b64encode(tile.tobytes()).decode('ascii'),
                'jpeg_rgb': base64.b64encode(served.tobytes()).decode('ascii'),
            }
        )
    return out


def main(argv):
    command, *rest = argv
    if command == 'version':
        json.dump({'python': openslide.__version__, 'library': openslide.__library_version__}, sys.stdout)
        return
    path, *rest = rest
    if command == 'slide':
        result = slide_info(path)
    elif command == 'geometry':
        result = geometry(path, rest)
    elif command == 'tiles':
        result = tiles(path, rest)
    else:
        raise SystemExit('unknown command ' + command)
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main(sys.argv[1:])
