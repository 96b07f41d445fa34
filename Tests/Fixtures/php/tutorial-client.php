<?php
// The tutorial's client, as a whole file: sends "xiongchao" and prints the reply.
// The port comes from the command line: php tutorial-client.php PORT
$host = "127.0.0.1";$port=$argv[1];set_time_limit(0);
$message = "xiongchao";echo "Message To server :".$message."\n";
$socket = socket_create(AF_INET,SOCK_STREAM,0) or die("Could not create socket\n");
$result = socket_connect($socket,$host,$port) or die("Could not connect to server\n");
socket_write($socket,$message,strlen($message)) or die("Could not send data to server\n");
$result = socket_read($socket,1024) or die("Could not read server response\n");echo "Reply from server:".$result;
socket_close($socket);
?>
