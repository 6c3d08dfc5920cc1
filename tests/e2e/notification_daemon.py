"""A stand-in for the desktop's notification service (org.freedesktop.Notifications) on the
journey's private D-Bus session: it answers as a real one does and writes each notification it
is asked to show, as a JSON line, to the file given. Run: python notification_daemon.py OUT."""

import json
import sys

from jeepney import HeaderFields, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

NAME = "org.freedesktop.Notifications"
INTROSPECTION = """<node><interface name="org.freedesktop.Notifications">
<method name="Notify"><arg type="s"/><arg type="u"/><arg type="s"/><arg type="s"/><arg type="s"/><arg type="as"/><arg type="a{sv}"/><arg type="i"/><arg type="u" direction="out"/></method>
<method name="GetCapabilities"><arg type="as" direction="out"/></method>
<method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/><arg type="s" direction="out"/><arg type="s" direction="out"/></method>
<method name="CloseNotification"><arg type="u"/></method></interface></node>"""


def main(out_path: str):
    conn = open_dbus_connection(bus="SESSION")
    reply = conn.send_and_get_reply(message_bus.RequestName(NAME, 4))  # 4: do not queue
    if reply.body[0] != 1:
        sys.exit(f"could not own {NAME}: {reply.body}")
    print("ready", flush=True)
    next_id = 1
    with open(out_path, "a", buffering=1) as out:
        while True:
            msg = conn.receive()
            if msg.header.message_type != MessageType.method_call:
                continue
            member = msg.header.fields.get(HeaderFields.member)
            if member == "Notify":
                app, _replaces, _icon, summary, body, _actions, _hints, timeout = msg.body
                out.write(json.dumps({"app": app, "summary": summary, "body": body, "timeout": timeout}) + "\n")
                conn.send(new_method_return(msg, "u", (next_id,)))
                next_id += 1
            elif member == "GetCapabilities":
                conn.send(new_method_return(msg, "as", (["body"],)))
            elif member == "GetServerInformation":
                conn.send(new_method_return(msg, "ssss", ("keyward-journey", "keyward", "1", "1.2")))
            elif member == "CloseNotification":
                conn.send(new_method_return(msg))
            elif member == "Introspect":
                conn.send(new_method_return(msg, "s", (INTROSPECTION,)))
            elif member == "GetAll":
                conn.send(new_method_return(msg, "a{sv}", ({},)))
            else:
                conn.send(new_error(msg, "org.freedesktop.DBus.Error.UnknownMethod", "s", (f"no method {member}",)))


if __name__ == "__main__":
    main(sys.argv[1])
