"""A real RTSP server for Lfr's camera specs and the van benchmark: GStreamer's rtsp-server (Debian packages, installed
by scripts/setup.sh --tests) on 127.0.0.1, serving MP4 clips (H.264) as PATH=FILE mounts at their own pace, each
client from the clip's start, with optional basic auth.
usage: /usr/bin/python3 rtsp-server.py PORT [--auth=USER:PASSWORD] /PATH=FILE.mp4 ...   (PORT 0: a free one)
Prints "ready PORT" once listening."""
import sys
import gi
gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
port, mounts, user = sys.argv[1], sys.argv[2:], None
server = GstRtspServer.RTSPServer(address="127.0.0.1", service=port)
if mounts and mounts[0].startswith("--auth="):
    user, password = mounts.pop(0)[len("--auth="):].split(":", 1)
    auth, token = GstRtspServer.RTSPAuth(), GstRtspServer.RTSPToken()
    token.set_string("media.factory.role", "viewer")
    auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(auth)
for mount in mounts:
    path, clip = mount.split("=", 1)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(f'( filesrc location="{clip}" ! qtdemux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )')
    factory.set_shared(False)
    if user:
        factory.add_role_from_structure(Gst.Structure.from_string(
            "viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true")[0])
    server.get_mount_points().add_factory(path, factory)
server.attach(None)
print("ready", server.get_bound_port(), flush=True)
GLib.MainLoop().run()
