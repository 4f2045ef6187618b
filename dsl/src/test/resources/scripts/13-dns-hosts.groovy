topology('dns') {
    box('app') { image 'demo'; dns '10.0.0.53'; extraHost 'db.local', '10.1.2.3' }
}
