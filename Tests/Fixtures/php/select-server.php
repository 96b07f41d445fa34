<?php
// A select() server: one listening socket and a list of clients, served together in one loop.
// Each client is greeted; each line a client sends comes back upper-cased; the server stops after $limit lines in all.
$port = (int) ($argv[1] ?? 5360);
$limit = (int) ($argv[2] ?? 4);

$listener = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
socket_set_option($listener, SOL_SOCKET, SO_REUSEADDR, 1);
socket_bind($listener, '127.0.0.1', $port) or die("bind failed\n");
socket_listen($listener, 5);
echo "serving on port $port\n";

$clients = [];
$served = 0;
while ($served < $limit) {
    $read = $clients;
    $read[] = $listener;
    $write = null;
    $except = null;
    if (socket_select($read, $write, $except, null) === false) {
        echo "select failed: ", socket_strerror(socket_last_error()), "\n";
        break;
    }
    foreach ($read as $s) {
        if ($s === $listener) {
            $client = socket_accept($listener);
            $clients[] = $client;
            $greeting = "welcome, client " . count($clients) . "\n";
            socket_write($client, $greeting);
            echo "client ", count($clients), " connected\n";
            continue;
        }
        $data = socket_read($s, 1024);
        if ($data === '' || $data === false) {
            $key = array_search($s, $clients, true);
            unset($clients[$key]);
            socket_close($s);
            echo "client $key left, ", count($clients), " still here\n";
            continue;
        }
        $served++;
        socket_write($s, strtoupper($data));
        printf("%d: %s", $served, $data);
    }
}
foreach ($clients as $key => $s) {
    socket_close($s);
}
socket_close($listener);
echo "served $served lines\n";
