"""The Python baseline of the transfer row: 16 MiB through a socket pair in 64 KiB writes,
gathered with bytearray += and counted, as transfer.php does it."""
import socket

total = 16 * 1024 * 1024
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM, 0)
a.setblocking(False)
block = b"x" * 65536
got = bytearray()
sent = 0
while len(got) < total:
    if sent == len(got):
        # Nothing in flight, so the write takes at least a byte; a short one is gone on with.
        sent += a.send(block[:min(65536, total - sent)])
    got += b.recv(65536)
print(len(got))
