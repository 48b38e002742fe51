// The training bundle's train.py: rebuilds the spec's network in Keras from spec.json and trains
// it under a tf.distribute strategy (every local GPU, or a cluster when TF_CONFIG is set). It is
// one static script that reads spec.json, so what it builds is what the spec says.
export const TRAIN_SCRIPT = String.raw`#!/usr/bin/env python3
"""Train the Capa model described by spec.json on the images under data/.

  pip install tensorflow          # Keras 3 comes with TensorFlow 2.16+
  python train.py                 # every GPU of this machine (MirroredStrategy)
  TF_CONFIG=... python train.py   # one process per worker of a cluster (MultiWorkerMirroredStrategy)

data/train/<class>/ and data/validation/<class>/ hold the images as Capa split them; the model
is written to trained/model.keras with metadata.json beside it.
"""
import argparse
import json
import os
from pathlib import Path

import tensorflow as tf
import keras

HERE = Path(__file__).resolve().parent
SPEC = json.loads((HERE / "spec.json").read_text())
METADATA = json.loads((HERE / "metadata.json").read_text())
CLASS_NAMES = METADATA["classNames"]
# Folder names under data/<split>/, in the order of CLASS_NAMES (names a file system refuses are changed).
CLASS_FOLDERS = json.loads((HERE / "classes.json").read_text())
SCALE = METADATA["normalization"]["scale"]
OFFSET = METADATA["normalization"]["offset"]


def strategy():
    if "TF_CONFIG" in os.environ:
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.MirroredStrategy()


def dataset(split, batch_size, shuffle):
    folder = HERE / "data" / split
    if not folder.exists():
        return None
    size = (SPEC["input"]["height"], SPEC["input"]["width"])
    resize = SPEC["input"]["resize"]
    images = keras.utils.image_dataset_from_directory(
        folder,
        labels="inferred",
        label_mode="categorical",
        class_names=CLASS_FOLDERS,
        color_mode="grayscale" if SPEC["input"]["channels"] == 1 else "rgb",
        image_size=size,
        crop_to_aspect_ratio=resize == "crop",
        pad_to_aspect_ratio=resize == "pad",
        batch_size=batch_size,
        shuffle=shuffle,
        seed=SPEC["training"]["seed"],
    )
    # Capa feeds pixel * scale + offset (0..1), in the NHWC layout Keras uses too.
    return images.map(lambda x, y: (x * SCALE + OFFSET, y)).prefetch(tf.data.AUTOTUNE)


def regularizer(value):
    return None if value is None else keras.regularizers.L1L2(**value)


def build_layer(spec):
    params = {k: v for k, v in spec.items() if k not in ("type", "enabled")}
    for key in list(params):
        if key.endswith("_regularizer"):
            params[key] = regularizer(params[key])
    if spec["type"] == "Activation" and params.get("activation") == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=0.2)
    return getattr(keras.layers, spec["type"])(**params)


def backbone(spec):
    name = spec["backbone"]["id"]
    shape = (SPEC["input"]["height"], SPEC["input"]["width"], SPEC["input"]["channels"])
    trainable = spec["backbone"]["trainable_blocks"] > 0
    if name.startswith("mobilenet-v2-"):
        alpha = float(name.split("-")[2])
        base = keras.applications.MobileNetV2(input_shape=shape, alpha=alpha, include_top=False, pooling="avg", weights="imagenet")
        prepare = keras.layers.Rescaling(2.0, offset=-1.0)  # MobileNetV2 expects -1..1; Capa's inputs are 0..1
    elif name.startswith("mobilenet-v3-"):
        model = keras.applications.MobileNetV3Small if "-small-" in name else keras.applications.MobileNetV3Large
        base = model(input_shape=shape, include_top=False, pooling="avg", weights="imagenet", include_preprocessing=True)
        prepare = keras.layers.Rescaling(255.0)  # MobileNetV3 rescales 0..255 itself
    else:
        raise SystemExit("train.py rebuilds keras.applications MobileNets only, not " + name)
    base.trainable = trainable
    return [prepare, base]


def build_model():
    t = SPEC["training"]
    keras.utils.set_random_seed(t["seed"])
    layers = [keras.Input(shape=(SPEC["input"]["height"], SPEC["input"]["width"], SPEC["input"]["channels"]))]
    if SPEC.get("backbone"):
        layers += backbone(SPEC)
    layers += [build_layer(layer) for layer in SPEC["layers"] if layer.get("enabled", True)]
    layers.append(keras.layers.Dense(len(CLASS_NAMES), activation="softmax"))
    model = keras.Sequential(layers)
    optimizers = {
        "adam": lambda: keras.optimizers.Adam(t["learning_rate"], epsilon=1e-7),
        "sgd": lambda: keras.optimizers.SGD(t["learning_rate"]),
        "rmsprop": lambda: keras.optimizers.RMSprop(t["learning_rate"], rho=0.9, epsilon=1e-7),
    }
    model.compile(optimizer=optimizers[t["optimizer"]](), loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=SPEC["training"]["epochs"])
    parser.add_argument("--batch-size", type=int, default=SPEC["training"]["batch_size"], help="per replica")
    parser.add_argument("--out", type=Path, default=HERE / "trained")
    args = parser.parse_args()
    distribution = strategy()
    print("Training on", distribution.num_replicas_in_sync, "replica(s)")
    global_batch = args.batch_size * distribution.num_replicas_in_sync
    train = dataset("train", global_batch, shuffle=True)
    validation = dataset("validation", global_batch, shuffle=False)
    with distribution.scope():
        model = build_model()
    model.summary()
    model.fit(train, validation_data=validation, epochs=args.epochs)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save(args.out / "model.keras")
    (args.out / "metadata.json").write_text(json.dumps(METADATA, indent=2))
    print("Saved", args.out / "model.keras")


if __name__ == "__main__":
    main()
`;
