#!/usr/bin/env python3
"""A typical EXACT notebook, run against a Tessera server with nothing but `requests`.

Usage: exact_flow.py <base-url> <username> <password>

It sends what EXACT's Python client (EXACT-Sync) and notebooks written for EXACT send: HTTP Basic
credentials, JSON bodies, the multipart image upload with the file under `file_path`, DRF's
`?limit=&offset=` paging and `field__lookup=` filters. Halfway through it switches to a personal
access token (`Authorization: Bearer pat_...`) to show both ways of signing in work for the same calls.

Each step prints `ok <step>` when it passed; the first failure prints `FAILED <step>: <why>` and the
script exits with 1. The caller (test/api-client.e2e.test.ts) checks the exit code and the steps.
"""

import io
import json
import struct
import sys
import time
import uuid
import zlib

import requests


class StepFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise StepFailed(message)


def answer(response, status):
    """The JSON answer of `response`, which must have `status`."""
    if response.status_code != status:
        raise StepFailed(
            f"{response.request.method} {response.url} answered {response.status_code}, "
            f"expected {status}: {response.text[:500]}"
        )
    return response.json() if response.content else None


def synthetic_png(width, height):
    """A small RGB PNG (a colour gradient), written with zlib so the flow needs no imaging library."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in ((x * 255) // width, (y * 255) // height, 128))
        for y in range(height)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Flow:
    def __init__(self, base_url, username, password):
        self.api = base_url.rstrip("/") + "/api/v1/"
        self.base_url = base_url.rstrip("/")
        self.username = username
        self.basic = requests.Session()
        self.basic.auth = (username, password)
        self.session = self.basic
        self.suffix = uuid.uuid4().hex[:8]
        self.steps = []

    def url(self, path):
        return self.api + path

    def step(self, name, action):
        try:
            action()
        except StepFailed as failure:
            print(f"FAILED {name}: {failure}", flush=True)
            sys.exit(1)
        except requests.RequestException as failure:
            print(f"FAILED {name}: {failure}", flush=True)
            sys.exit(1)
        print(f"ok {name}", flush=True)

    # Sign-in

    def refuses_wrong_password(self):
        response = requests.get(self.url("users/users/"), auth=(self.username, "not-the-password"))
        expect(response.status_code == 401, f"a wrong password answered {response.status_code}, not 401")
        response = requests.get(self.url("users/users/"))
        expect(response.status_code == 401, f"no credentials answered {response.status_code}, not 401")

    def basic_auth(self):
        users = answer(self.basic.get(self.url("users/users/"), params={"username": self.username}), 200)
        expect(users["count"] == 1, f"users?username= found {users['count']} users")
        self.user_id = users["results"][0]["id"]

    def token_auth(self):
        created = answer(
            self.basic.post(self.url("users/tokens/"), json={"name": "exact-flow", "expires_in_days": 1}), 201
        )
        token = created["token"]
        expect(token.startswith("pat_"), "the token does not start with pat_")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        me = answer(self.session.get(self.url(f"users/users/{self.user_id}/")), 200)
        expect(me["username"] == self.username, "the token signs in as someone else")

    # Set-up: team, image set, product, annotation types

    def create_team(self):
        team = answer(self.session.post(self.url("users/teams/"), json={"name": f"Flow team {self.suffix}"}), 201)
        self.team = team["id"]
        memberships = answer(
            self.session.get(self.url("users/team_membership/"), params={"team": self.team}), 200
        )
        mine = [m for m in memberships["results"] if m["user"] == self.user_id]
        expect(len(mine) == 1 and mine[0]["is_admin"], "the team's creator is not its admin")

    def create_image_set(self):
        image_set = answer(
            self.session.post(
                self.url("images/image_sets/"),
                json={"name": f"Flow set {self.suffix}", "team": self.team, "description": "notebook flow"},
            ),
            201,
        )
        expect(image_set["team"] == self.team, "the image set is not in the team")
        self.image_set = image_set["id"]

    def create_product(self):
        product = answer(
            self.session.post(
                self.url("administration/products/"),
                json={"name": f"Flow product {self.suffix}", "team": self.team, "imagesets": [self.image_set]},
            ),
            201,
        )
        expect(product["imagesets"] == [self.image_set], "the product does not hold the image set")
        self.product = product["id"]

    def create_annotation_types(self):
        box = answer(
            self.session.post(
                self.url("annotations/annotation_types/"),
                json={"name": "mitotic figure", "product": self.product, "vector_type": 1, "color_code": "#FF0000"},
            ),
            201,
        )
        polygon = answer(
            self.session.post(
                self.url("annotations/annotation_types/"),
                # As EXACT-Sync sends them: booleans as 1/0 and numbers as text (DRF reads both).
                json={
                    "name": "tumour region",
                    "product": self.product,
                    "vector_type": "5",
                    "closed": 1,
                    "enable_concealed": 1,
                    "area_hit_test": 1,
                },
            ),
            201,
        )
        expect(polygon["closed"] is True and polygon["vector_type"] == 5, "the polygon type lost its fields")
        self.box_type, self.polygon_type = box["id"], polygon["id"]
        types = answer(
            self.session.get(self.url("annotations/annotation_types/"), params={"product": self.product}), 200
        )
        expect(
            sorted(t["id"] for t in types["results"]) == sorted([self.box_type, self.polygon_type]),
            "annotation_types?product= does not list the product's two types",
        )

    # The image

    def upload_image(self):
        png = synthetic_png(300, 200)
        # As EXACT-Sync's ImagesApi.create_image sends it: form fields and the file under `file_path`.
        created = answer(
            self.session.post(
                self.url("images/images/"),
                data={"image_type": 0, "image_set": self.image_set},
                files={"file_path": ("flow.png", io.BytesIO(png), "image/png")},
            ),
            201,
        )
        expect(created["count"] == 1 and len(created["results"]) == 1, "the upload did not answer one image")
        self.image = created["results"][0]["id"]
        self.png = png

    def image_becomes_ready(self):
        deadline = time.monotonic() + 60
        while True:
            image = answer(self.session.get(self.url(f"images/images/{self.image}/")), 200)
            if image["state"] == "ready":
                break
            expect(image["state"] != "failed", f"the image failed: {image['failure_reason']}")
            expect(time.monotonic() < deadline, "the image was not ready within a minute")
            time.sleep(0.2)
        expect((image["width"], image["height"]) == (300, 200), "the image has the wrong size")
        listed = answer(self.session.get(self.url("images/images/"), params={"image_set": self.image_set}), 200)
        expect([i["id"] for i in listed["results"]] == [self.image], "images?image_set= does not list it")

    def read_pixels(self):
        info = answer(self.session.get(self.url(f"images/images/{self.image}/slide_information/")), 200)
        expect(info["level_dimensions"][0] == [300, 200], "slide_information has the wrong size")
        patch = self.session.get(
            self.url(f"images/images/{self.image}/get_patch/"),
            params={"x": 10, "y": 10, "level": 0, "width": 64, "height": 32},
        )
        expect(patch.status_code == 200, f"get_patch answered {patch.status_code}")
        expect(patch.content[:8] == b"\x89PNG\r\n\x1a\n", "get_patch is not a PNG")
        original = self.session.get(
            f"{self.base_url}/images/api/image/download/{self.image}/", params={"original_image": "True"}
        )
        expect(original.status_code == 200, f"the download answered {original.status_code}")
        expect(original.content == self.png, "the downloaded original differs from the upload")

    # Annotations

    def create_annotations(self):
        single = answer(
            self.session.post(
                self.url("annotations/annotations/"),
                json={
                    "annotation_type": self.box_type,
                    "image": self.image,
                    "vector": {"x1": 10, "y1": 10, "x2": 30, "y2": 30},
                    "description": "first",
                },
            ),
            201,
        )
        expect(single["unique_identifier"], "a single create got no unique_identifier")
        self.first = single["id"]
        # SlideRunner's sync: a JSON list (bulk create), its own uuids, and the time of the offline edit.
        self.second_uuid = str(uuid.uuid4())
        bulk = answer(
            self.session.post(
                self.url("annotations/annotations/"),
                json=[
                    {
                        "annotation_type": self.box_type,
                        "image": self.image,
                        "vector": {"x1": 200, "y1": 150, "x2": 240, "y2": 190},
                        "unique_identifier": self.second_uuid,
                        "time": "2024-05-01T10:11:12.123456",
                        "last_edit_time": "2024-05-01T10:11:12.123456",
                    },
                    {
                        "annotation_type": self.polygon_type,
                        "image": self.image,
                        "vector": {"x1": 50, "y1": 50, "x2": 120, "y2": 60, "x3": 90, "y3": 140},
                        "unique_identifier": str(uuid.uuid4()),
                    },
                ],
            ),
            201,
        )
        expect(len(bulk) == 2, "the bulk create did not answer two annotations")
        expect(bulk[0]["time"].startswith("2024-05-01T10:11:12"), "the time override was not kept")
        self.second, self.polygon = bulk[0]["id"], bulk[1]["id"]

    def upsert_by_unique_identifier(self):
        updated = self.session.post(
            self.url("annotations/annotations/"),
            json={
                "annotation_type": self.box_type,
                "image": self.image,
                "vector": {"x1": 205, "y1": 155, "x2": 245, "y2": 195},
                "unique_identifier": self.second_uuid,
            },
        )
        body = answer(updated, 200)
        expect(body["id"] == self.second, "posting a known unique_identifier made a new annotation")
        expect(body["vector"]["x1"] == 205, "the upsert did not change the vector")

    def list_and_filter(self):
        everything = answer(
            self.session.get(self.url("annotations/annotations/"), params={"image": self.image, "limit": 2}), 200
        )
        expect(everything["count"] == 3, f"the image has {everything['count']} annotations, not 3")
        expect(len(everything["results"]) == 2 and everything["next"], "limit=2 did not page")
        rest = answer(self.session.get(everything["next"]), 200)
        expect(len(rest["results"]) == 1 and rest["next"] is None, "following next did not end the list")
        boxes = answer(
            self.session.get(
                self.url("annotations/annotations/"),
                params={"image": self.image, "annotation_type": self.box_type, "deleted": "False"},
            ),
            200,
        )
        expect(sorted(a["id"] for a in boxes["results"]) == sorted([self.first, self.second]), "type filter")
        viewport = answer(
            self.session.get(
                self.url("annotations/annotations/"),
                params={
                    "image": self.image,
                    "vector_x_min": 0,
                    "vector_x_max": 100,
                    "vector_y_min": 0,
                    "vector_y_max": 100,
                },
            ),
            200,
        )
        expect(
            sorted(a["id"] for a in viewport["results"]) == sorted([self.first, self.polygon]),
            "the viewport filter did not find the two annotations in [0,100]x[0,100]",
        )
        ids = answer(
            self.session.get(
                self.url("annotations/annotations/"),
                params={"id__in": f"{self.first},{self.polygon}", "fields": "id,vector"},
            ),
            200,
        )
        expect(all(set(a) == {"id", "vector"} for a in ids["results"]), "fields= did not trim the objects")
        count = answer(
            self.session.get(self.url("annotations/annotations/count/"), params={"image__image_set": self.image_set}),
            200,
        )
        expect(count == {"count": 3}, f"count/ answered {count}")

    def update_annotation(self):
        patched = answer(
            self.session.patch(
                self.url(f"annotations/annotations/{self.first}/"),
                json={"vector": {"x1": 12, "y1": 12, "x2": 32, "y2": 32}, "description": "moved", "deleted": 0},
            ),
            200,
        )
        expect(patched["vector"]["x1"] == 12 and patched["description"] == "moved", "PATCH did not apply")
        again = answer(self.session.get(self.url(f"annotations/annotations/{self.first}/")), 200)
        expect(again["last_editor"] == self.user_id, "the last editor is not the caller")

    def verify_annotation(self):
        verification = answer(
            self.session.post(
                self.url("annotations/verifications/"), json={"annotation": self.first, "verified": True}
            ),
            201,
        )
        expect(verification["user"] == self.user_id, "the verification is not the caller's")
        verified = answer(
            self.session.get(
                self.url("annotations/annotations/"), params={"image": self.image, "verified_by": self.user_id}
            ),
            200,
        )
        expect([a["id"] for a in verified["results"]] == [self.first], "verified_by= does not find it")

    def export_annotations(self):
        response = self.session.get(self.url(f"images/image_sets/{self.image_set}/export/"), params={"format": "coco"})
        coco = answer(response, 200)
        expect(len(coco["images"]) == 1, "the COCO export does not hold the image")
        expect(len(coco["annotations"]) == 3, f"the COCO export holds {len(coco['annotations'])} annotations")
        expect(
            sorted(c["name"] for c in coco["categories"]) == ["mitotic figure", "tumour region"],
            "the COCO export lacks the annotation types",
        )

    def delete_annotations(self):
        answer(self.session.delete(self.url(f"annotations/annotations/{self.polygon}/")), 204)
        answer(
            self.session.delete(
                self.url("annotations/annotations/multiple_delete/"), params={"id__in": f"{self.second}"}
            ),
            204,
        )
        live = answer(
            self.session.get(self.url("annotations/annotations/"), params={"image": self.image, "deleted": "false"}),
            200,
        )
        expect([a["id"] for a in live["results"]] == [self.first], "deleted annotations are still listed")

    def run(self):
        self.step("a wrong password is refused", self.refuses_wrong_password)
        self.step("Basic authentication", self.basic_auth)
        self.step("token authentication", self.token_auth)
        self.step("create team", self.create_team)
        self.step("create image set", self.create_image_set)
        self.step("create product", self.create_product)
        self.step("create annotation types", self.create_annotation_types)
        self.step("upload image", self.upload_image)
        self.step("image becomes ready", self.image_becomes_ready)
        self.step("read pixels", self.read_pixels)
        self.step("create annotations", self.create_annotations)
        self.step("upsert by unique_identifier", self.upsert_by_unique_identifier)
        self.step("list and filter annotations", self.list_and_filter)
        self.step("update annotation", self.update_annotation)
        self.step("verify annotation", self.verify_annotation)
        self.step("export annotations", self.export_annotations)
        self.step("delete annotations", self.delete_annotations)
        print("EXACT flow passed", flush=True)


def main(argv):
    if len(argv) != 4:
        print("usage: exact_flow.py <base-url> <username> <password>", file=sys.stderr)
        return 2
    Flow(argv[1], argv[2], argv[3]).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
