# Consul server
datacenter = "dc1"
data_dir   = "/opt/consul"
node_name  = "consul-server-1"
server     = true
bootstrap_expect = 3
bind_addr = "10.0.0.1" // the LAN address
encrypt = "AAAAAAAAAAAAAAAAAAAAAA=="
retry_join = [
  "10.0.0.2",   # second
  "10.0.0.3",
]
/* comment */
performance {
  raft_multiplier = 5
}
service "web" {
  port = 80
  tags = ["a", "b"]
  check { http = "http://localhost/" interval = "10s" }
}
node_id = "adf4238a-882b-9ddc-4a9d-5b6758e4159e"
data_dir = <<EOF
/var/lib/consul
EOF
performance = { raft_multiplier = 3 }, server = false
"bootstrap" = true
node_name = "a\"b\u00e9\tc${x}"
