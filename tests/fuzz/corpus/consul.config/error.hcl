server = true
bootstrap_expect =
node_name = "x"
