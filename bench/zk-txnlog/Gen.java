/*
 * bench/zk-txnlog.sh's load generator: drives a real ZooKeeper server
 * through the real client library until the server's transaction log holds
 * at least TARGET bytes of transactions.  Compiled with javac against the
 * Debian jars in the benchmark's temporary directory.
 *
 * Usage: java Gen HOST:PORT TARGET_BYTES SEED
 *
 * The mix is what a coordination service sees: mostly setData on a fixed
 * set of znodes (so the server's in-memory tree stays small however long
 * the log grows), creates and deletes of sequential children, multi
 * transactions, and short-lived sessions that open, create an ephemeral
 * node and close.  Values are mostly small (16-512 bytes), some of 1-16
 * KiB and a few of 64-300 KiB, below jute.maxbuffer (1 MiB).  Requests are
 * asynchronous with a bounded number in flight, so the server, not the
 * round trip, sets the pace.
 *
 * It prints one line: "ops N payload BYTES": the requests acknowledged
 * and a lower bound of the bytes they put in the log (data and paths; the
 * record framing and headers add more).
 */
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

public class Gen {
	static final int KEYS = 2000;		/* znodes overwritten by setData */
	static final int CHILDREN_MAX = 5000;	/* sequential children kept */
	static final int IN_FLIGHT = 128;
	static final int SESSION_EVERY = 2000;	/* ops between short sessions */

	static final Semaphore window = new Semaphore(IN_FLIGHT);
	static final AtomicLong acked = new AtomicLong();
	static final AtomicReference<String> failure = new AtomicReference<>();
	static byte[] pool;

	static ZooKeeper connect(String hosts) throws Exception {
		CountDownLatch up = new CountDownLatch(1);
		ZooKeeper zk = new ZooKeeper(hosts, 30000, e -> {
			if (e.getState() == Watcher.Event.KeeperState.SyncConnected)
				up.countDown();
		});
		if (!up.await(60, TimeUnit.SECONDS))
			throw new RuntimeException("no connection to " + hosts);
		return zk;
	}

	/* JSON-looking text, like the service records znodes usually hold. */
	static byte[] value(Random r) {
		int p = r.nextInt(100), n;

		if (p < 70)
			n = 16 + r.nextInt(497);
		else if (p < 95)
			n = 1024 + r.nextInt(15 * 1024 + 1);
		else
			n = 64 * 1024 + r.nextInt(236 * 1024 + 1);
		byte[] v = new byte[n];
		System.arraycopy(pool, r.nextInt(pool.length - n), v, 0, n);
		return v;
	}

	static void done(int rc, String what) {
		if (rc != KeeperException.Code.OK.intValue() &&
		    rc != KeeperException.Code.NONODE.intValue() &&
		    rc != KeeperException.Code.NODEEXISTS.intValue())
			failure.compareAndSet(null, what + ": " +
			    KeeperException.Code.get(rc));
		acked.incrementAndGet();
		window.release();
	}

	public static void main(String[] args) throws Exception {
		String hosts = args[0];
		long target = Long.parseLong(args[1]);
		Random r = new Random(Long.parseLong(args[2]));
		StringBuilder sb = new StringBuilder();
		while (sb.length() < 400 * 1024)
			sb.append("{\"type\":\"service\",\"service\":{\"srvce\":\"_svc")
			    .append(r.nextInt(1000)).append("\",\"proto\":\"_tcp\"," +
			    "\"port\":").append(1024 + r.nextInt(60000))
			    .append(",\"ttl\":60},\"address\":\"10.")
			    .append(r.nextInt(256)).append('.').append(r.nextInt(256))
			    .append('.').append(r.nextInt(256)).append("\"}");
		pool = sb.toString().getBytes(StandardCharsets.UTF_8);

		ZooKeeper zk = connect(hosts);
		try {
			zk.create("/bench", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
			    CreateMode.PERSISTENT);
			zk.create("/bench/seq", new byte[0],
			    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
			zk.create("/bench/eph", new byte[0],
			    ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
		} catch (KeeperException.NodeExistsException e) {
			/* a rerun against the same server */
		}
		long payload = 0, ops = 0, sessions = 0;
		for (int i = 0; i < KEYS; i++) {
			String path = String.format("/bench/k%04d", i);
			byte[] v = value(r);
			window.acquire();
			zk.create(path, v, ZooDefs.Ids.OPEN_ACL_UNSAFE,
			    CreateMode.PERSISTENT, (rc, p, c, name) ->
			    done(rc, "create " + p), null);
			payload += v.length + path.length();
			ops++;
		}
		ArrayDeque<String> children = new ArrayDeque<>();
		while (payload < target && failure.get() == null) {
			int p = r.nextInt(100);
			String key = String.format("/bench/k%04d", r.nextInt(KEYS));

			ops++;
			if (p < 60) {
				byte[] v = value(r);
				window.acquire();
				zk.setData(key, v, -1, (rc, path, c, st) ->
				    done(rc, "setData " + path), null);
				payload += v.length + key.length();
			} else if (p < 78) {
				byte[] v = value(r);
				/* a synchronous create: the name is needed */
				String name = zk.create("/bench/seq/n", v,
				    ZooDefs.Ids.OPEN_ACL_UNSAFE,
				    CreateMode.PERSISTENT_SEQUENTIAL);
				acked.incrementAndGet();
				children.add(name);
				payload += v.length + name.length();
			} else if (p < 90) {
				String name = children.poll();
				if (name == null)
					continue;
				window.acquire();
				zk.delete(name, -1, (rc, path, c) ->
				    done(rc, "delete " + path), null);
				payload += name.length();
			} else {
				/* a multi: check, setData, create and delete */
				List<Op> m = new ArrayList<>();
				byte[] v = value(r);
				String name = String.format("/bench/m%08d", ops);
				m.add(Op.check("/bench", -1));
				m.add(Op.setData(key, v, -1));
				m.add(Op.create(name, v, ZooDefs.Ids.OPEN_ACL_UNSAFE,
				    CreateMode.PERSISTENT));
				m.add(Op.delete(name, -1));
				window.acquire();
				zk.multi(m, (rc, path, c, res) ->
				    done(rc, "multi"), null);
				payload += 2L * v.length + key.length() +
				    3L * name.length();
			}
			while (children.size() > CHILDREN_MAX) {
				String name = children.poll();
				window.acquire();
				zk.delete(name, -1, (rc, path, c) ->
				    done(rc, "delete " + path), null);
				payload += name.length();
			}
			if (ops % SESSION_EVERY == 0) {
				/* createSession, create -e, setData, closeSession */
				ZooKeeper s = connect(hosts);
				String e = String.format("/bench/eph/s%06d", sessions++);
				s.create(e, value(r), ZooDefs.Ids.OPEN_ACL_UNSAFE,
				    CreateMode.EPHEMERAL);
				s.setData(e, value(r), -1);
				s.close();
				acked.addAndGet(4);
			}
		}
		window.acquire(IN_FLIGHT);	/* every answer is in */
		zk.close();
		if (failure.get() != null) {
			System.err.println("Gen: " + failure.get());
			System.exit(1);
		}
		System.out.println("ops " + acked.get() + " payload " + payload);
	}
}
