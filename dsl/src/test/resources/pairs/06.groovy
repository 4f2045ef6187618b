topology('p06') {
    network('back') { subnet '10.89.0.0/24' }
    box('db') { image 'demo'; network 'back', aliases: ['database'] }
}
