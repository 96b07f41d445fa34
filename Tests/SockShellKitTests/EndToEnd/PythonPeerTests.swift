import Foundation
import Testing

/// sockshell against a peer written with Python's socket module, in a second process.
@Suite struct PythonPeerTests {
  static let reversingServer = """
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    s.settimeout(15)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept()
    c.settimeout(15)
    data = c.recv(1024)
    c.sendall(data[::-1] + b"\\n")
    c.close()
    s.close()
    print("served " + data.decode(), flush=True)
    """

  static let client = """
    import socket, sys, time
    port = int(sys.argv[1])
    deadline = time.time() + 15
    while True:
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=15)
            break
        except ConnectionRefusedError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)
    c.sendall(b"xiongchao")
    reply = b""
    while not reply.endswith(b"\\n"):
        chunk = c.recv(1024)
        if not chunk:
            break
        reply += chunk
    print("Reply from server:" + reply.decode(), end="", flush=True)
    c.close()
    """

  @Test func sockshellClientAgainstAPythonServer() throws {
    let server = try python(Self.reversingServer)
    let port = server.readLine()
    #expect(Int(port) != nil)
    let result = try runSockshell(Tutorial.client(port: Int(port) ?? 1))
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout.contains("Reply from server:oahcgnoix\n"))
    #expect(
      result.stdout.contains(
        "connect(3, {sa_family=AF_INET, sin_port=htons(\(port)), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0")
    )
    let served = server.finish()
    #expect(served.status == 0)
    #expect(served.stdout == "served xiongchao\n")
  }

  @Test func sockshellServerAgainstAPythonClient() throws {
    let port = freePort()
    let client = try python(Self.client, arguments: ["\(port)"])
    let result = try runSockshell(Tutorial.server(port: port))
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.stdout.contains("read(4, \"xiongchao\", 1024) = 9"))
    let reply = client.finish()
    #expect(reply.status == 0)
    #expect(reply.stdout == "Reply from server:oahcgnoix\n")
  }
}
