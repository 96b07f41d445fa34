$srv = create AF_INET SOCK_DGRAM 0
bind $srv 127.0.0.1 0
getsockname($srv, $host, $port)
$cli = create AF_INET SOCK_DGRAM 0
for ($i = 0; $i < 3; $i++) {
  sendto $cli "msg$i" $host $port
}
$n = 0
while ($n < 5) {
  $peek = recv $srv 2 MSG_PEEK|MSG_DONTWAIT
  if ($peek === false) {
    echo "empty: " . (last_error($srv) == SOCKET_EAGAIN ? "EAGAIN" : "other") . "\n"
    break
  }
  socket_recvfrom($srv, $req, 1024, MSG_DONTWAIT, $fh, $fp)
  echo "peek=$peek req=$req\n"
  sendto $srv strrev($req) $fh $fp
  $back = recvfrom $cli 1024
  echo "back=$back\n"
  $n++
}
echo "n=$n\n"
$t = create AF_INET SOCK_DGRAM 0
connect $t $host $port
send $t "connected" 
$got = recv $srv 3 MSG_TRUNC
echo "trunc: $got\n"
