#!/usr/bin/env python3
"""Drives containerd's CRI plugin the way kubelet does, for one pod:
RunPodSandbox (host network), CreateContainer, StartContainer, wait for
it to exit, StopPodSandbox, RemovePodSandbox. Prints one JSON object:
sandbox and container ids and the container's exit code. With RESTARTS=N
in the environment the container is restarted N times after it exits, as
kubelet's restartPolicy does: a new container of the same name, its
attempt counted up, in the same sandbox; "attempts" lists them all.

usage: client.py SOCKET STUBDIR HANDLER NAMESPACE POD CONTAINER IMAGE CMD...
(STUBDIR holds cri_pb2.py and cri_pb2_grpc.py from grpc_tools.protoc.)
"""
import os
import json
import sys
import time
import uuid


def main():
    sock, stubs, handler, ns, pod, name, image = sys.argv[1:8]
    cmd = sys.argv[8:]
    sys.path.insert(0, stubs)
    import grpc
    import cri_pb2 as pb
    import cri_pb2_grpc as pbg

    rt = pbg.RuntimeServiceStub(grpc.insecure_channel("unix://" + sock))
    rt.Version(pb.VersionRequest(version="v1"), timeout=10)
    node = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
    sandbox = pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name=pod, uid=str(uuid.uuid4()), namespace=ns, attempt=0),
        linux=pb.LinuxPodSandboxConfig(security_context=pb.LinuxSandboxSecurityContext(namespace_options=node)),
    )
    sid = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=sandbox, runtime_handler=handler), timeout=60).pod_sandbox_id
    out = {"sandbox_id": sid, "attempts": []}
    try:
        for attempt in range(int(os.environ.get("RESTARTS", "0")) + 1):
            config = pb.ContainerConfig(metadata=pb.ContainerMetadata(name=name, attempt=attempt),
                                        image=pb.ImageSpec(image=image), command=cmd)
            cid = rt.CreateContainer(pb.CreateContainerRequest(pod_sandbox_id=sid, config=config,
                                                               sandbox_config=sandbox), timeout=60).container_id
            out["container_id"] = cid
            rt.StartContainer(pb.StartContainerRequest(container_id=cid), timeout=60)
            deadline = time.time() + 60
            while True:
                st = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=cid), timeout=10).status
                if st.state == pb.CONTAINER_EXITED:
                    out["exit_code"] = st.exit_code
                    break
                if time.time() > deadline:
                    out["exit_code"] = None
                    break
                time.sleep(0.1)
            out["attempts"].append({"container_id": cid, "exit_code": out["exit_code"]})
    finally:
        rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=sid), timeout=60)
        rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=sid), timeout=60)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
