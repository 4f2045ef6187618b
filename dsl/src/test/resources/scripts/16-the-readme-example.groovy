topology('shop') {
    network('backend') { subnet '10.89.0.0/24' }
    volume('pgdata')
    box('db') {
        image 'postgres-demo:1'
        env POSTGRES_PASSWORD: 'secret'
        volume 'pgdata', '/var/lib/postgresql/data'
        network 'backend', aliases: ['database']
        resources cpus: 2, memory: '1g'
        healthcheck { exec 'pg_isready'; interval 2.s; retries 10 }
    }
    3.times { i ->
        box("worker-$i") { image 'demo'; command 'sh', '-c', 'sleep 3600'; dependsOn 'db', healthy: true }
    }
    box('web') { image 'web-demo:1'; ports '127.0.0.1:8080:80'; network 'backend' }
}
