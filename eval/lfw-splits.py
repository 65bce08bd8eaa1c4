#!/usr/bin/env python3
"""Manifests for the lfw-dev experiments in docs/benchmarks.md, written to OUT (absolute photo paths).

  cohort/   gallery.csv (as lfw-dev's), probes.csv (lfw-dev's probes less the cohort's people), cohort.csv
            (every photo of every second not-enrolled identity, by name: held out, never searched)
  multi/    gallery-1.csv (one photo per person), gallery-n.csv (2-3 photos per person), probes.csv (the same
            probes for both: the remaining photos of each enrolled person with at least 3 photos, and lfw-dev's
            non-mated probes); only people with 3 or more photos are enrolled, the one-photo fillers stay.

usage: eval/lfw-splits.py ../shared/data/lfw-dev OUT
"""
import csv, os, sys
from collections import OrderedDict

data, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])

def read(name):
    with open(os.path.join(data, name)) as f:
        return [(os.path.join(data, r['relative_path']), r['identity']) for r in csv.DictReader(f)]

def write(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('relative_path,identity\n')
        f.writelines(f'{p},{i}\n' for p, i in rows)

gallery, probes, everyone = read('gallery.csv'), read('probes.csv'), read('all.csv')
enrolled = {i for _, i in gallery}
not_enrolled = sorted({i for _, i in probes if i not in enrolled})
cohort_people = set(not_enrolled[::2])
write(f'{out}/cohort/gallery.csv', gallery)
write(f'{out}/cohort/probes.csv', [r for r in probes if r[1] not in cohort_people])
write(f'{out}/cohort/cohort.csv', [r for r in everyone if r[1] in cohort_people])

photos = OrderedDict()
for p, i in everyone:
    photos.setdefault(i, []).append(p)
multi = [i for i in photos if i in enrolled and len(photos[i]) >= 3]
fillers = [(p, i) for p, i in gallery if len(photos[i]) == 1]
g1, gn, mated = [], [], []
for i in multi:
    n = min(3, len(photos[i]) - 1)  # keep at least one photo to search with
    g1.append((photos[i][0], i))
    gn += [(p, i) for p in photos[i][:n]]
    mated += [(p, i) for p in photos[i][n:]]
write(f'{out}/multi/gallery-1.csv', g1 + fillers)
write(f'{out}/multi/gallery-n.csv', gn + fillers)
write(f'{out}/multi/probes.csv', mated + [r for r in probes if r[1] not in enrolled])
print(f'cohort: {len(cohort_people)} people held out; multi: {len(multi)} people enrolled with 2-3 photos, {len(mated)} mated probes, {len(fillers)} fillers')
