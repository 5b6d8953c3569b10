#!/usr/bin/env bash
# make-aperio-slide.sh <input image> <out.svs> <W> <H>: a real-size slide as Aperio scanners write it, for
# bench/tiles: the input repeated to W x H, tiled levels of 240 px JPEG tiles with 4x steps between
# levels, a stripped thumbnail, label and macro, and the Aperio ImageDescription OpenSlide recognises.
# Needs Debian's libvips-tools (vips) and libtiff-tools (tiffcp, tiffset, tiffinfo).
set -euo pipefail; in=$1; out=$2; W=$3; H=$4; t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
iw=$(vipsheader -f width "$in"); ih=$(vipsheader -f height "$in")
vips replicate "$in" "$t/rep.v" $(( (W + iw - 1) / iw )) $(( (H + ih - 1) / ih ))
vips extract_band "$t/rep.v" "$t/rgb.v" 0 --n 3
vips crop "$t/rgb.v" "$t/base.v" 0 0 "$W" "$H"
# vips halves per level; Aperio steps by 4, so every other level of its pyramid is kept.
vips tiffsave "$t/base.v" "$t/pyr.tif" --tile --pyramid --compression jpeg --Q 80 --tile-width 240 --tile-height 240 --bigtiff
vips thumbnail "$t/base.v" "$t/thumb.v" 768  && vips tiffsave "$t/thumb.v" "$t/thumb.tif" --compression jpeg --Q 80
vips thumbnail "$t/base.v" "$t/macro.v" 1024 && vips tiffsave "$t/macro.v" "$t/macro.tif" --compression jpeg --Q 80
vips black "$t/l.v" 300 300 --bands 3 && vips linear "$t/l.v" "$t/l2.v" 1 230 --uchar && vips tiffsave "$t/l2.v" "$t/label.tif" --compression lzw
n=$(tiffinfo "$t/pyr.tif" 2>/dev/null | grep -c "TIFF Directory")
levels=$(seq -s, 2 2 $((n-1)))
rm -f "$out"
# tiffcp keeps 240 px tiles and JPEG (it re-encodes at the same quality); -8 writes BigTIFF.
tiffcp -8 -m 0 -t -w 240 -l 240 -c jpeg:80 "$t/pyr.tif,0" "$out"
tiffcp -8 -m 0 -a -s -c jpeg:80 "$t/thumb.tif" "$out"
tiffcp -8 -m 0 -a -t -w 240 -l 240 -c jpeg:80 "$t/pyr.tif,$levels" "$out"
tiffcp -8 -m 0 -a -s -c lzw "$t/label.tif" "$out"; tiffcp -8 -m 0 -a -s -c jpeg:80 "$t/macro.tif" "$out"
nd=$(tiffinfo "$out" 2>/dev/null | grep -c "TIFF Directory")
# Each directory's ImageDescription (tag 270): "<directory>|<text after the Aperio header line>".
for entry in "0|${W}x${H} [0,0 ${W}x${H}] (240x240) JPEG/RGB Q=80|AppMag = 20|MPP = 0.5|Filename = bench" \
  "1|${W}x${H} -> 768x? - |AppMag = 20|MPP = 0.5" "$((nd-2))|label 300x300" "$((nd-1))|macro 1024x?"; do
  tiffset -d "${entry%%|*}" -s 270 "Aperio Image Library vBENCH"$'\n'"${entry#*|}" "$out"
done
