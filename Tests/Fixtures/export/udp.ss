# A UDP exchange in one script: the server answers each datagram in upper case, in a loop.
$server = create AF_INET SOCK_DGRAM 0
bind $server 127.0.0.1 0
getsockname($server, $host, $port)
$client = create AF_INET SOCK_DGRAM 0
bind $client 127.0.0.1 0
for ($n = 1; $n <= 3; $n++) {
  socket_sendto($client, "ping $n", strlen("ping $n"), 0, $host, $port)
  $size = socket_recvfrom($server, $data, 64, 0, $from, $from_port)
  sendto $server strtoupper($data) $from $from_port
  $reply = recv $client 64
  echo "$size: $reply\n"
}
# Not connected: send has no address to go to.
if (send($client, "x", 1, 0) === false) {
  echo "send: " . strerror(last_error($client)) . "\n"
}
close $client
close $server
