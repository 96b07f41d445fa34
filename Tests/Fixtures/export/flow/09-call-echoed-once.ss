$l = create AF_INET SOCK_STREAM 0
echo "bind: " . bind($l, "127.0.0.1", 0) . "\n"
listen $l 1
getsockname($l, $h, $p)
$c = create AF_INET SOCK_STREAM 0
connect $c $h $p
$a = accept $l
for ($i = 0; $i < 1; $i++) {
  echo "wrote " . write($c, "hi") . "\n"
}
shutdown $c SHUT_WR
echo "[" . read($a, 100) . "]\n"
