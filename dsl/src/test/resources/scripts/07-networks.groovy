topology('nets') {
    network('back') { subnet '10.89.0.0/24'; gateway '10.89.0.1' }
    network('private') { internal true }
    box('db') { image 'demo'; network 'back', aliases: ['database'], ip: '10.89.0.10'; network 'private' }
}
