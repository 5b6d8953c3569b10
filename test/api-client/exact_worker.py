"""An external worker as written for EXACT (EXACT-QueueRunner's loop), with plain HTTP (requests).

Usage: exact_worker.py BASE_URL USERNAME PASSWORD ANNOTATION_TYPE
Registers its plugin (or finds it), prints "plugin <id>", polls the job list until a job of its plugin
appears, claims it, reports progress, posts a result with one entry and three proposals, and finishes
the job by reporting 100 %. Prints "ok <step>" per step; any failure prints FAILED and exits 1.
"""
import random
import string
import sys
import time

import requests

BASE, USER, PASSWORD, TYPE = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
API = BASE + '/api/v1/processing/'
PACKAGE = 'org.example.exact-style-worker'
session = requests.Session()
session.auth = (USER, PASSWORD)
worker = 'worker_' + ''.join(random.choice(string.ascii_lowercase) for _ in range(6))


def check(response, status, step):
    if response.status_code != status:
        print(f'FAILED {step}: {response.status_code} {response.text}', flush=True)
        sys.exit(1)
    return response.json() if response.text else None


def partial_update_plugin_job(job_id, **fields):
    return check(session.patch(f'{API}pluginjobs/{job_id}/', json=fields), 200, 'update job')


found = [p for p in check(session.get(API + 'plugins/'), 200, 'list plugins')['results'] if p['package'] == PACKAGE]
if found:
    plugin = found[0]['id']
else:
    plugin = check(
        session.post(API + 'plugins/', json={
            'name': 'EXACT-style worker', 'author': 'tests', 'package': PACKAGE, 'contact': 'tests@example.org',
            'abouturl': 'https://example.org/', 'icon': '', 'products': [], 'results': [],
        }),
        201,
        'create plugin',
    )['id']
print(f'plugin {plugin}', flush=True)
print('ok register plugin', flush=True)

deadline = time.time() + 60
job = None
while job is None and time.time() < deadline:
    # EXACT-QueueRunner asks for limit=100000000; Tessera answers a limit above its page size with 400.
    jobs = check(session.get(API + 'pluginjobs/?limit=1000'), 200, 'list jobs')['results']
    for candidate in jobs:
        if candidate['processing_complete'] == 100:
            continue
        if candidate['plugin'] == plugin and candidate['result'] is None and not candidate['attached_worker']:
            partial_update_plugin_job(candidate['id'], attached_worker=worker)
            claimed = check(session.get(f"{API}pluginjobs/{candidate['id']}/"), 200, 'reread job')
            if claimed['attached_worker'] == worker:
                job = claimed
                break
    if job is None:
        time.sleep(0.2)
if job is None:
    print('FAILED poll: no job arrived', flush=True)
    sys.exit(1)
print('ok claim job', flush=True)

partial_update_plugin_job(job['id'], processing_complete=10, updated_time='2024-01-01T00:00:00')
print('ok report progress', flush=True)

result = check(session.post(API + 'pluginresults/', json={'job': job['id'], 'image': job['image'], 'plugin': plugin, 'entries': []}), 201, 'create result')
entry = check(
    session.post(API + 'pluginresultentrys/', json={'pluginresult': result['id'], 'name': 'Mitotic figures', 'annotation_results': [], 'bitmap_results': []}),
    201,
    'create entry',
)
for n, score in enumerate([0.91, 0.62, 0.35]):
    x = 1000 + 100 * n
    check(
        session.post(API + 'pluginresultannotations/', json={
            'annotation_type': TYPE, 'pluginresultentry': entry['id'], 'image': job['image'],
            'vector': {'x1': x, 'y1': x, 'x2': x + 40, 'y2': x + 40}, 'score': score,
        }),
        201,
        'create result annotation',
    )
    partial_update_plugin_job(job['id'], processing_complete=10 + 30 * (n + 1))
print('ok post results', flush=True)

# A 1 x 1 PNG heat map; text that is no PNG or JPEG is refused.
PNG = ('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC')
bitmap = check(
    session.post(API + 'pluginresultbitmaps/', json={'pluginresultentry': entry['id'], 'name': 'heat', 'channels': 3, 'bitmap': PNG}),
    201,
    'create bitmap',
)
check(session.post(API + 'pluginresultbitmaps/', json={'pluginresultentry': entry['id'], 'name': 'x', 'bitmap': 'aGVsbG8='}), 400, 'refuse bitmap')
served = session.get(f"{API}pluginresultbitmaps/{bitmap['id']}/bitmap/")
if served.status_code != 200 or served.headers.get('content-type') != 'image/png' or served.content[:4] != b'\x89PNG':
    print(f'FAILED bitmap bytes: {served.status_code} {served.headers.get("content-type")}', flush=True)
    sys.exit(1)
print('ok post bitmap', flush=True)

partial_update_plugin_job(job['id'], processing_complete=100.0)
partial_update_plugin_job(job['id'], attached_worker=None)
listed = check(session.get(f"{API}pluginresultannotations/?job={job['id']}"), 200, 'list result annotations')
if listed['count'] != 3:
    print(f"FAILED list result annotations: {listed['count']}", flush=True)
    sys.exit(1)
print('ok finish job', flush=True)
