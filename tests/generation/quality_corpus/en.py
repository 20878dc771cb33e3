"""English (en-US) answers, written by hand. ⟨name⟩ marks a figure of the product's data
exactly as the prompt gives it (Babel's format for the locale), filled in on loading."""

PD, MC = "product_description", "marketing_copy"

GOOD = [
    ("lamp", PD, {
        "title": "Solid oak desk lamp with a warm glow",
        "short_description": "A desk lamp turned from solid oak that gives a soft, warm light "
                             "for reading and working.",
        "description": "The Oak desk lamp from Nordic Home starts as a single block of solid "
                       "oak, finished by hand with natural oil. At ⟨height⟩ tall, it lights "
                       "your book or keyboard without dazzling the person across the table."
                       "\n\nIt takes any E27 bulb, so you choose the color of the light. The "
                       "heavy base keeps it steady, and over the years the wood deepens to a "
                       "warm honey tone.",
        "bullets": ["Solid oak base with a natural oil finish",
                    "Stands ⟨height⟩ tall, right for a desk", "Works with any E27 bulb"],
        "meta_description": "Solid oak desk lamp by Nordic Home: warm light, ⟨height⟩ tall, "
                            "E27 bulb. Yours for ⟨price⟩.",
    }),
    ("lamp", PD, {
        "title": "Oak desk lamp: warm light, real wood",
        "short_description": "Natural oak and a calm, focused light that makes any desk feel "
                             "more like home.",
        "description": "Looking for a lamp that does more than light the room? The Oak desk "
                       "lamp pairs a solid oak base with a simple shade that sends the light "
                       "exactly where you need it.\n\nAt ⟨height⟩, it fits on a desk, a "
                       "nightstand or a bookshelf. Every lamp shows its own grain, so no two "
                       "are quite the same.",
        "bullets": ["Sturdy base of solid oak", "Focused light without glare",
                    "A unique wood grain on every lamp"],
        "meta_description": "Meet the Oak desk lamp by Nordic Home, a solid oak lamp that "
                            "brings warm, focused light to your desk.",
    }),
    ("mug", PD, {
        "title": "Hand-glazed stoneware mug",
        "short_description": "A ⟨capacity⟩ stoneware mug, glazed by hand, as nice to hold as "
                             "it is to look at.",
        "description": "Every Stoneware mug is glazed by hand, so no two come out alike: the "
                       "color shifts a little from one to the next, and that is part of the "
                       "charm. It holds ⟨capacity⟩, enough for a long coffee or a slow cup of "
                       "tea.\n\nStoneware keeps your drink warm longer than thin porcelain "
                       "and stands up to everyday use. It is dishwasher safe, too.",
        "bullets": ["Glazed by hand, so every mug is unique",
                    "Holds ⟨capacity⟩ of your morning coffee", "Safe in the dishwasher"],
        "meta_description": "Hand-glazed ⟨capacity⟩ stoneware mug, dishwasher safe. Every "
                            "piece is one of a kind. Just ⟨price⟩.",
    }),
    ("mug", PD, {
        "title": "Stoneware mug by Nordic Home",
        "short_description": "Sturdy stoneware, a hand-applied glaze and room for ⟨capacity⟩: "
                             "an everyday mug that feels special.",
        "description": "Some mugs you use, and some you reach for every morning. This is one "
                       "of the second kind. Its thick walls keep your drink hot, and the "
                       "comfortable handle stays cool to the touch.\n\nThe glaze goes on by "
                       "hand, so each mug has its own shading. It is dishwasher safe and "
                       "costs ⟨price⟩.",
        "bullets": ["Thick walls that hold the heat", "A comfortable, well-balanced handle",
                    "Its own shade of glaze on every piece"],
        "meta_description": "Stoneware mug by Nordic Home: a ⟨capacity⟩ mug with a "
                            "hand-applied glaze, dishwasher safe.",
    }),
    ("throw", PD, {
        "title": "Merino wool throw for the sofa",
        "short_description": "A soft merino wool throw that keeps you warm without weighing "
                             "you down on winter evenings.",
        "description": "The Wool throw from Nordic Home is woven from merino wool, a fine "
                       "fiber that never itches and helps you stay at a comfortable "
                       "temperature. At ⟨size⟩, it is big enough to curl up under on the "
                       "sofa or to lay across the foot of the bed.\n\nThe wool breathes, so "
                       "you stay warm without overheating, and the quiet colors suit any "
                       "living room.",
        "bullets": ["Soft merino wool that never itches", "A generous ⟨size⟩",
                    "Warm, light and breathable"],
        "meta_description": "Merino wool throw, ⟨size⟩: soft, warm and breathable. Find it at "
                            "Nordic Home for ⟨price⟩.",
    }),
    ("throw", PD, {
        "title": "Wool throw: natural warmth at home",
        "short_description": "Soft merino wool in a ⟨size⟩ size, with room for two on the "
                             "sofa.",
        "description": "Cold on movie nights? This merino wool throw is the answer. It is "
                       "light but warm, folds away easily and looks good draped over the back "
                       "of the sofa when you are not using it.\n\nMerino is a natural fiber "
                       "that wicks away moisture and keeps a pleasant temperature. At "
                       "⟨size⟩, there is plenty of room for two underneath.",
        "bullets": ["A natural fiber that keeps you comfortable",
                    "Light, warm and easy to fold", "Looks good on the sofa, even folded"],
        "meta_description": "Wool throw in merino wool, ⟨size⟩. Natural warmth and a soft "
                            "touch for your living room.",
    }),
    ("chair", PD, {
        "title": "Ash wood dining chair",
        "short_description": "An ash dining chair with a woven paper cord seat: light, sturdy "
                             "and comfortable.",
        "description": "The Ash dining chair pairs the pale grain of ash with a seat woven by "
                       "hand from paper cord. It is strong and yet surprisingly light: at "
                       "⟨weight⟩, you can move it with one hand.\n\nThe seat height of "
                       "⟨seat_height⟩ suits most dining tables. Its simple lines look just as "
                       "good in a modern kitchen as in a Scandinavian living room.",
        "bullets": ["Frame of solid ash wood", "Seat woven from paper cord",
                    "Light enough to lift with one hand"],
        "meta_description": "Ash dining chair with a woven seat, ⟨weight⟩, seat height "
                            "⟨seat_height⟩. Yours for ⟨price⟩.",
    }),
    ("kettle", PD, {
        "title": "⟨capacity⟩ glass kettle",
        "short_description": "A clear glass kettle with ⟨power⟩ of power that has your water "
                             "ready in moments.",
        "description": "With the Glass kettle you can watch the water come to a boil, which "
                       "is as practical as it is pleasant. Its ⟨capacity⟩ capacity is enough "
                       "for several cups of tea or a full pot of coffee.\n\nThe ⟨power⟩ "
                       "element heats water quickly, and the kettle switches itself off when "
                       "it is done. Glass holds no smells or flavors, so your tea always "
                       "tastes like tea.",
        "bullets": ["Clear glass that holds no odors", "⟨capacity⟩ for the whole family",
                    "⟨power⟩ for a fast boil"],
        "meta_description": "⟨capacity⟩ glass kettle with ⟨power⟩: fast, clean and good "
                            "looking in your kitchen. Only ⟨price⟩.",
    }),
    ("bottle", PD, {
        "title": "Insulated stainless steel bottle",
        "short_description": "A ⟨capacity⟩ steel bottle that keeps water cold for "
                             "⟨keeps_cold⟩ and coffee hot for ⟨keeps_hot⟩.",
        "description": "The Steel water bottle goes with you to work, to the gym or up the "
                       "mountain. Its double stainless steel wall keeps drinks cold for up to "
                       "⟨keeps_cold⟩ and hot for up to ⟨keeps_hot⟩.\n\nWith ⟨capacity⟩ "
                       "inside, you have water for the whole day. The lid seals tight, so "
                       "nothing leaks into your bag. A simple buy that saves a lot of plastic "
                       "bottles.",
        "bullets": ["Cold for ⟨keeps_cold⟩, hot for ⟨keeps_hot⟩",
                    "⟨capacity⟩ to last all day", "A leakproof lid you can trust"],
        "meta_description": "Insulated ⟨capacity⟩ stainless steel bottle: cold for "
                            "⟨keeps_cold⟩, hot for ⟨keeps_hot⟩. Only ⟨price⟩.",
    }),
    ("bottle", PD, {
        "title": "Steel water bottle for every day",
        "short_description": "Stainless steel, a double wall and ⟨capacity⟩: your drink at "
                             "the right temperature wherever you go.",
        "description": "Say goodbye to lukewarm water! This stainless steel bottle keeps "
                       "things cold for ⟨keeps_cold⟩, perfect for hot days and long hikes. "
                       "In winter, fill it with tea and it will still be hot ⟨keeps_hot⟩ "
                       "later.\n\nIt shrugs off bumps, adds no taste to your drinks and is "
                       "easy to clean. The understated design looks right at the office and "
                       "on the trail.",
        "bullets": ["Double wall of stainless steel", "Adds no taste or smell to drinks",
                    "Tough enough for everyday knocks"],
        "meta_description": "Steel water bottle by Nordic Home: ⟨capacity⟩, cold drinks for "
                            "⟨keeps_cold⟩ and hot ones for ⟨keeps_hot⟩.",
    }),
    ("cushion", PD, {
        "title": "Washed linen cushion covers",
        "short_description": "A set of ⟨pack_size⟩ in washed linen, with the soft, relaxed "
                             "texture that makes a sofa inviting.",
        "description": "The Linen cushion cover set from Nordic Home is sewn from washed "
                       "linen, a natural fabric that gets softer with every wash. Each cover "
                       "measures ⟨size⟩, and the set comes with ⟨pack_size⟩.\n\nA hidden "
                       "zipper gives a clean finish and makes the covers easy to take off for "
                       "washing. Mix them with other soft neutrals for a cozy, natural "
                       "corner.",
        "bullets": ["Soft washed linen", "A set of ⟨pack_size⟩, each ⟨size⟩",
                    "Hidden zipper, easy to wash"],
        "meta_description": "Washed linen cushion covers, ⟨size⟩, set of ⟨pack_size⟩. Soft, "
                            "natural and easy to care for.",
    }),
    ("backpack", PD, {
        "title": "⟨capacity⟩ city backpack",
        "short_description": "A light ⟨capacity⟩ backpack with a padded sleeve for laptops up "
                             "to ⟨laptop⟩.",
        "description": "The City backpack is made for getting around town by subway, bike or "
                       "on foot. It weighs just ⟨weight⟩ and gives you ⟨capacity⟩ of "
                       "well-organized space.\n\nThe padded compartment protects laptops up "
                       "to ⟨laptop⟩, and inner pockets keep your keys, phone and earbuds "
                       "within reach. Wide straps spread the load, so they never dig into "
                       "your shoulders.",
        "bullets": ["Padded sleeve for laptops up to ⟨laptop⟩", "Very light at ⟨weight⟩",
                    "Wide, comfortable shoulder straps"],
        "meta_description": "City backpack with ⟨capacity⟩ of space, ⟨weight⟩ and a "
                            "⟨laptop⟩ laptop sleeve. Yours for ⟨price⟩.",
    }),
    ("candle", PD, {
        "title": "Forest-scented soy candle",
        "short_description": "A soy wax candle that fills your home with a fresh forest scent "
                             "for ⟨burn_time⟩.",
        "description": "The Soy candle Forest is poured from natural soy wax around a cotton "
                       "wick that burns clean and even. Its ⟨weight⟩ of wax gives you "
                       "⟨burn_time⟩ of soft light.\n\nThe scent brings back a walk through "
                       "the pines after rain: fresh, green and calming. Light it when you "
                       "get home and leave the day at the door.",
        "bullets": ["Natural soy wax and a cotton wick", "Up to ⟨burn_time⟩ of burn time",
                    "A fresh scent of pine and moss"],
        "meta_description": "Soy candle Forest, ⟨weight⟩, burns for ⟨burn_time⟩ with a forest "
                            "scent. Just ⟨price⟩ at Nordic Home.",
    }),
    ("candle", PD, {
        "title": "Soy candle Forest with a pine scent",
        "short_description": "Soy wax, a cotton wick and a scent that takes you to the woods "
                             "without leaving the living room.",
        "description": "In the mood for a quiet evening? Light the Soy candle Forest and let "
                       "the scent of pine, moss and damp earth fill the room. Soy wax burns "
                       "more slowly than paraffin and leaves hardly any soot.\n\nWith "
                       "⟨weight⟩ of wax, it will keep you company for ⟨burn_time⟩. A simple "
                       "gift that always goes down well.",
        "bullets": ["Burns slowly and leaves almost no soot",
                    "A natural scent of pine, moss and earth", "A gift that always goes down well"],
        "meta_description": "Soy candle Forest: a ⟨weight⟩ soy candle with a pine forest scent "
                            "and ⟨burn_time⟩ of warm light.",
    }),
    ("knife", PD, {
        "title": "Chef's knife with a ⟨blade⟩ blade",
        "short_description": "A well-balanced chef's knife in X50CrMoV15 steel for chopping, "
                             "slicing and filleting with precision.",
        "description": "The Chef's knife is the one you will use for almost everything: "
                       "vegetables, meat, herbs and fish. Its ⟨blade⟩ blade is forged from "
                       "X50CrMoV15, a German stainless steel that holds its edge and resists "
                       "corrosion.\n\nThe handle fits the hand, and the weight is balanced "
                       "between blade and grip, so your hand tires less during long prep "
                       "sessions.",
        "bullets": ["⟨blade⟩ blade in X50CrMoV15 steel", "Holds its edge for longer",
                    "Ergonomic, well-balanced handle"],
        "meta_description": "Chef's knife with a ⟨blade⟩ X50CrMoV15 steel blade: a lasting "
                            "edge and fine balance. Only ⟨price⟩.",
    }),
    # --- marketing copy ---------------------------------------------------------------
    ("lamp", MC, {
        "headline": "Warm light, real wood",
        "body": "Evenings with a good book deserve a light to match. The Oak desk lamp from "
                "Nordic Home, turned from solid oak, fills your desk with a warmth no plastic "
                "lamp can fake.",
        "call_to_action": "Discover the lamp",
    }),
    ("mug", MC, {
        "headline": "How many one-of-a-kind mugs do you own?",
        "body": "Every Stoneware mug is glazed by hand, and no two are alike. Pick yours, "
                "pour in ⟨capacity⟩ of your favorite coffee and start the day with something "
                "made with care.",
        "call_to_action": "Pick your mug",
    }),
    ("throw", MC, {
        "headline": "Winter is better under merino",
        "body": "Light, soft and so warm you will not want to leave the sofa. Our ⟨size⟩ "
                "Wool throw turns any cold evening into the perfect night in.",
        "call_to_action": "I want this throw!",
    }),
    ("chair", MC, {
        "headline": "Take a seat in style",
        "body": "Pale ash, a hand-woven seat and a lightness that surprises. The Ash dining "
                "chair brings the calm of Nordic design to your everyday meals.",
        "call_to_action": "See the chair",
    }),
    ("chair", MC, {
        "headline": "A chair built for generations",
        "body": "When you choose ash wood and a woven paper cord seat, you choose a piece "
                "that gets better with age. Light, sturdy and simple, the way good things "
                "should be.",
        "call_to_action": "Buy now",
    }),
    ("kettle", MC, {
        "headline": "Watch the water boil",
        "body": "The Glass kettle turns tea into a small ritual: clear water, bubbles in "
                "plain sight and ⟨power⟩ to heat it in moments. Beautiful on the counter and "
                "practical every morning.",
        "call_to_action": "Order yours today",
    }),
    ("kettle", MC, {
        "headline": "Tea that tastes like tea",
        "body": "Glass holds no odors, so every brew tastes exactly the way it should. With "
                "⟨capacity⟩ inside, there is water for you and for anyone who drops by.",
        "call_to_action": "Meet the kettle",
    }),
    ("bottle", MC, {
        "headline": "Cold water all day long",
        "body": "Long hike or busy day? The Steel water bottle keeps your water cold for "
                "⟨keeps_cold⟩. Less plastic, more refreshment and a design you will want to "
                "take everywhere.",
        "call_to_action": "Get yours now",
    }),
    ("cushion", MC, {
        "headline": "The linen your sofa has been waiting for",
        "body": "A soft touch, natural creases and calming colors. Refresh your living room "
                "with our washed linen cushion covers, in a set of ⟨pack_size⟩ ready to use.",
        "call_to_action": "Refresh your sofa",
    }),
    ("cushion", MC, {
        "headline": "Small changes, big difference",
        "body": "Sometimes new cushion covers are all it takes to make a living room feel "
                "brand new. Washed linen adds texture, warmth and that relaxed look we all "
                "love.",
        "call_to_action": "See the colors",
    }),
    ("backpack", MC, {
        "headline": "The whole city on your back",
        "body": "Laptop, notebook, lunch and jacket: everything has its place in the City "
                "backpack. It weighs just ⟨weight⟩, and its wide straps make the commute feel "
                "lighter.",
        "call_to_action": "Grab yours",
    }),
    ("backpack", MC, {
        "headline": "Your laptop, always protected",
        "body": "The padded sleeve holds laptops up to ⟨laptop⟩, and inner pockets mean no "
                "more digging for your keys. Finally, a backpack designed for real life!",
        "call_to_action": "Shop the backpack",
    }),
    ("candle", MC, {
        "headline": "Bring the forest home",
        "body": "Pine, moss and earth after the rain. The Soy candle Forest fills your living "
                "room with calm for ⟨burn_time⟩, with soy wax that burns clean and slow.",
        "call_to_action": "Light up the calm",
    }),
    ("knife", MC, {
        "headline": "A good knife changes everything",
        "body": "A good knife makes cooking faster, safer and a lot more fun. Our Chef's "
                "knife in X50CrMoV15 steel keeps its edge from one recipe to the next.",
        "call_to_action": "Cook with precision",
    }),
    ("knife", MC, {
        "headline": "The knife you will use every day",
        "body": "Dicing onions, filleting salmon or slicing fresh bread: the Chef's knife "
                "handles it all with a well-balanced ⟨blade⟩ blade. Ready to cook like a pro?",
        "call_to_action": "I want it!",
    }),
    ("mug", MC, {
        "headline": "Coffee tastes better in stoneware",
        "body": "Hands that glaze, kilns that fire and a mug that keeps the heat to the last "
                "sip. That is our Stoneware mug: dishwasher safe and one of a kind, just like "
                "you.",
        "call_to_action": "Make it yours",
    }),
]

# Real answers of the local 135M model (issue 11) and hand-written faults.
BAD = [
    ("mug", PD, "the local model's answer from the issue: braces and schema words", {
        "title": "Stoneware mug",
        "short_description": "A stoneware mug for your morning coffee and your afternoon tea.",
        "description": "{",
        "bullets": ["items", "type", "string"],
        "meta_description": "{{",
    }),
    ("throw", PD, "the local model's answer from the issue: echo bullets, invented size", {
        "title": "Wool throw",
        "short_description": "Fabric in color: wool throw, 130x170 cm.   Quantities:",
        "description": "A merino wool throw for the sofa that keeps you warm in winter and "
                       "lets your skin breathe. It measures 24 x 56 inch and is perfect for "
                       "cold nights at home with family and friends.",
        "bullets": ["€89.00", "throw-wool", "24 x 56 inch (62 cm)"],
        "meta_description": "Merino wool throw for the sofa, soft and warm for winter nights.",
    }),
    ("lamp", PD, "invented words", {
        "title": "Oak desk lamp with a flimbering glow",
        "short_description": "A solid oak lamp with a brastly light for your desk and home.",
        "description": "The Oak desk lamp gives a flimbering, trestulous light that warms the "
                       "crandle of your desk. Its solid oak base is plomity and sturdy, and "
                       "it works with any E27 bulb you like for reading at night.",
        "bullets": ["Solid oak base", "Warm and soft light", "Works with any E27 bulb"],
        "meta_description": "Oak desk lamp with a warm light and a solid oak base, by Nordic "
                            "Home.",
    }),
    ("bottle", MC, "invented figures", {
        "headline": "Cold for 48 hours",
        "body": "The Steel water bottle keeps water cold for 48 hours and hot for 36 hours. "
                "It holds 32 oz and weighs 30% less than other bottles.",
        "call_to_action": "Buy it for $19.99",
    }),
    ("chair", MC, "the brief pasted back", {
        "headline": "Ash dining chair",
        "body": "Ash wood dining chair with a woven paper cord seat. Ash wood dining chair "
                "with a woven paper cord seat.",
        "call_to_action": "Buy",
    }),
    ("kettle", PD, "degeneration", {
        "title": "Glass kettle",
        "short_description": "The glass kettle is a glass kettle for the kitchen and the home.",
        "description": "The glass kettle is very nice and useful. The glass kettle is very "
                       "nice and useful. The glass kettle is very nice and useful. The glass "
                       "kettle is very nice and useful for the whole family.",
        "bullets": ["Nice glass kettle", "Nice glass kettle", "Useful glass kettle"],
        "meta_description": "The glass kettle is very nice and useful for your kitchen.",
    }),
    ("candle", PD, "HTML and template syntax", {
        "title": "Soy candle <b>Forest</b>",
        "short_description": "A soy candle with a forest scent.<br>Perfect as a gift.",
        "description": "The %s soy candle fills your home with the scent of pine and moss. "
                       "Its soy wax burns slowly and cleanly, and the cotton wick leaves "
                       "hardly any soot in the glass at all.",
        "bullets": ["Natural soy wax", "A scent of pine and moss", "A clean cotton wick"],
        "meta_description": "Soy candle with a forest scent &amp; a cotton wick, by Nordic "
                            "Home.",
    }),
    ("lamp", MC, "wrong language: Spanish copy for an English item", {
        "headline": "Luz cálida, madera de verdad",
        "body": "Las tardes de lectura merecen una luz a su altura. La Oak desk lamp de "
                "Nordic Home ilumina tu mesa con una calidez que no se puede imitar.",
        "call_to_action": "Descúbrela ahora",
    }),
]

GIBBERISH = [
    "Its brastly finish and flimbering sheen give the crandle a plomity feel.",
    "A trestulous design with a cromplish edge and a wendary glow.",
    "The vorbish texture and the glimmerous pladding make it snorful.",
    "Ideal for the homely frastle, the cozy wimbering and the plurnish nook.",
]
FOREIGN_TITLES = ["Lámpara de roble para tu escritorio", "Manta suave para el invierno",
                  "La mejor taza de gres", "Un regalo perfecto para tu casa"]
FOREIGN_SENTENCE = ("Este producto está fabricado con materiales de gran calidad y te "
                    "durará muchos años en casa.")
INVENTED_FIGURE = "It measures 24 x 56 inch (62 cm) and weighs 3.4 kg."
