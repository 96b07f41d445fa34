"""The Python baseline of the memory row: the same socket/close calls as the sockshell script,
printing nothing. Usage: python3 create_close.py PAIRS"""
import socket
import sys

for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 500000):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0)
    s.close()
