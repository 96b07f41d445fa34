<?php
// The tutorial's reverse-string server, as a whole file: reads one string, writes it back
// reversed with a newline. The port comes from the command line: php tutorial-server.php PORT
$host = "127.0.0.1";$port=$argv[1];set_time_limit(0);
$socket = socket_create(AF_INET,SOCK_STREAM,0) or die("could not create socket\n");
$result = socket_bind($socket, $host, $port) or die("Could not bind to socket\n");
$result = socket_listen($socket,3) or die("Could not set up socket listener\n");
$spawn = socket_accept($socket) or die("Could not accept incoming connection\n");
$input = socket_read($spawn,1024) or die("Could not read input\n");
$output = strrev($input)."\n";
socket_write($spawn,$output,strlen(($output))) or die("Could not write output\n");
socket_close($spawn);socket_close($socket);
?>
