// A real SMTP server for the SMTP channel tests (smtp-server, from nodemailer's authors).
//
//   node server.js <folder>
//
// Listens on 127.0.0.1 on a port the system picks and prints "listening <port>" once it can take connections.
// Every accepted message is stored as <n>.eml (the raw message) and <n>.json (the envelope and connection id);
// the .json file appears only after its .eml is complete.
// Recipients chosen by their local part: reject*@... get 550 (permanent), defer*@... get 451 (transient).
// AUTH is optional; when a client authenticates, only journeys/secret passes.
// Standard input takes commands: "drop" closes every open connection with a 421 (an idle connection the server
// dropped) and prints "dropped <n>". The server exits when standard input closes, so it never outlives the tests.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { SMTPServer } = require('smtp-server');

const folder = process.argv[2];
if (!folder) {
    console.error('usage: node server.js <folder>');
    process.exit(2);
}
fs.mkdirSync(folder, { recursive: true });

let sequence = 0;

function reply(code, message) {
    const error = new Error(message);
    error.responseCode = code;
    return error;
}

const server = new SMTPServer({
    name: 'journeys-test',
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, session, callback) {
        if (auth.username === 'journeys' && auth.password === 'secret') {
            return callback(null, { user: auth.username });
        }
        return callback(reply(535, '5.7.8 Authentication credentials invalid'));
    },
    onRcptTo(address, session, callback) {
        const local = address.address.split('@')[0].toLowerCase();
        if (local.startsWith('reject')) {
            return callback(reply(550, `5.1.1 <${address.address}>: mailbox unavailable`));
        }
        if (local.startsWith('defer')) {
            return callback(reply(451, `4.3.0 <${address.address}>: try again later`));
        }
        return callback();
    },
    onData(stream, session, callback) {
        const chunks = [];
        stream.on('data', chunk => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
            const n = ++sequence;
            const envelope = {
                connection: session.id,
                user: session.user || null,
                mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                rcptTo: session.envelope.rcptTo.map(r => r.address),
            };
            fs.writeFileSync(path.join(folder, `${n}.eml`), Buffer.concat(chunks));
            const json = path.join(folder, `${n}.json`);
            fs.writeFileSync(json + '.tmp', JSON.stringify(envelope));
            fs.renameSync(json + '.tmp', json);
            callback(null, `2.0.0 stored as ${n}`);
        });
    },
});

server.on('error', err => console.error(`smtp-server: ${err.message}`));

server.listen(0, '127.0.0.1', () => {
    console.log(`listening ${server.server.address().port}`);
});

const commands = readline.createInterface({ input: process.stdin });
commands.on('line', line => {
    if (line.trim() === 'drop') {
        const open = [...server.connections];
        for (const connection of open) {
            connection.send(421, '4.4.2 idle too long, closing connection');
            connection.close();
        }
        console.log(`dropped ${open.length}`);
    }
});
commands.on('close', () => process.exit(0));
